"""Demo data for `make run`: partners from every region, members in 30+ countries."""

# (country, IANA zone, language, a few given names, a few family names)
DEMO_COUNTRIES = [
    ("IN", "Asia/Kolkata", "en", ["Priya", "Arjun", "Meera"], ["Sharma", "Iyer", "Das"]),
    ("NP", "Asia/Kathmandu", "en", ["Sita", "Bikash"], ["Thapa", "Gurung"]),
    ("BD", "Asia/Dhaka", "en", ["Nusrat", "Rahim"], ["Hossain", "Akter"]),
    ("PK", "Asia/Karachi", "en", ["Ayesha", "Imran"], ["Khan", "Qureshi"]),
    ("LK", "Asia/Colombo", "en", ["Nimali", "Kasun"], ["Perera", "Silva"]),
    ("ID", "Asia/Jakarta", "en", ["Dewi", "Budi"], ["Santoso", "Wijaya"]),
    ("PH", "Asia/Manila", "en", ["Maria", "Jose"], ["Santos", "Reyes"]),
    ("VN", "Asia/Ho_Chi_Minh", "en", ["Linh", "Minh"], ["Nguyen", "Tran"]),
    ("KH", "Asia/Phnom_Penh", "fr", ["Sokha", "Dara"], ["Chan", "Sok"]),
    ("TH", "Asia/Bangkok", "en", ["Somchai", "Malee"], ["Srisuk", "Boonmee"]),
    ("MY", "Asia/Kuala_Lumpur", "en", ["Aisyah", "Hafiz"], ["Rahman", "Ismail"]),
    ("MN", "Asia/Ulaanbaatar", "en", ["Bolor", "Ganbaatar"], ["Bat", "Dorj"]),
    ("CN", "Asia/Shanghai", "en", ["Li", "Wei"], ["Wang", "Zhang"]),
    ("FJ", "Pacific/Fiji", "en", ["Mere", "Josefa"], ["Tuilagi", "Naivalu"]),
    ("AU", "Australia/Adelaide", "en", ["Olivia", "Jack"], ["Smith", "Nguyen"]),
    ("KE", "Africa/Nairobi", "en", ["Wanjiru", "Otieno"], ["Kamau", "Odhiambo"]),
    ("ET", "Africa/Addis_Ababa", "en", ["Selam", "Dawit"], ["Tesfaye", "Bekele"]),
    ("NG", "Africa/Lagos", "en", ["Chiamaka", "Tunde"], ["Okafor", "Adeyemi"]),
    ("GH", "Africa/Accra", "en", ["Ama", "Kwame"], ["Mensah", "Owusu"]),
    ("SN", "Africa/Dakar", "fr", ["Aminata", "Moussa"], ["Diop", "Ndiaye"]),
    ("CI", "Africa/Abidjan", "fr", ["Awa", "Yao"], ["Kouassi", "Traoré"]),
    ("RW", "Africa/Kigali", "fr", ["Aline", "Jean"], ["Uwimana", "Habimana"]),
    ("ZA", "Africa/Johannesburg", "en", ["Thandi", "Sipho"], ["Nkosi", "Dlamini"]),
    ("MZ", "Africa/Maputo", "en", ["Ana", "Carlos"], ["Machava", "Sitoe"]),
    ("MA", "Africa/Casablanca", "fr", ["Fatima", "Youssef"], ["El Amrani", "Benali"]),
    ("EG", "Africa/Cairo", "en", ["Nour", "Omar"], ["Hassan", "Farouk"]),
    ("JO", "Asia/Amman", "en", ["Lina", "Khaled"], ["Haddad", "Nasser"]),
    ("BR", "America/Sao_Paulo", "es", ["Ana", "João"], ["Silva", "Souza"]),
    ("MX", "America/Mexico_City", "es", ["Lucía", "Diego"], ["Hernández", "García"]),
    ("CO", "America/Bogota", "es", ["Camila", "Andrés"], ["Rodríguez", "Gómez"]),
    ("PE", "America/Lima", "es", ["Rosa", "Luis"], ["Quispe", "Flores"]),
    ("CL", "America/Santiago", "es", ["Valentina", "Matías"], ["Muñoz", "Rojas"]),
    ("AR", "America/Argentina/Buenos_Aires", "es", ["Sofía", "Martín"], ["González", "López"]),
    ("HT", "America/Port-au-Prince", "fr", ["Marie", "Jean-Pierre"], ["Joseph", "Pierre"]),
    ("GB", "Europe/London", "en", ["Emma", "Oliver"], ["Brown", "Taylor"]),
    ("FR", "Europe/Paris", "fr", ["Camille", "Louis"], ["Martin", "Bernard"]),
    ("US", "America/New_York", "en", ["Emily", "Michael"], ["Johnson", "Williams"]),
]

# (slug, name, country, kind, website)
DEMO_ORGANIZATIONS = [
    ("sp-gateway", "Social Protection Gateway", "", "other", "https://example.org/gateway"),
    (
        "ipc-ig",
        "International Policy Centre for Inclusive Growth",
        "BR",
        "un_agency",
        "https://example.org/ipc",
    ),
    ("dswd-ph", "Department of Social Welfare and Development", "PH", "government", ""),
    ("bisp-pk", "Benazir Income Support Programme", "PK", "government", ""),
    ("tnp2k-id", "National Team for the Acceleration of Poverty Reduction", "ID", "government", ""),
    ("kenya-sp", "State Department for Social Protection", "KE", "government", ""),
    ("africa-cash", "African Cash Transfer Learning Network", "SN", "ngo", ""),
    ("cepal-sp", "Latin American Social Protection Network", "CL", "un_agency", ""),
    ("prosperar-mx", "Programa Bienestar Learning Unit", "MX", "government", ""),
    ("sa-research", "South Asia Social Policy Research Institute", "IN", "academia", ""),
    ("pacific-sp", "Pacific Social Protection Initiative", "FJ", "development_partner", ""),
    ("ilo-asia", "Regional Office for Asia and the Pacific", "TH", "un_agency", ""),
    ("unicef-esaro", "Eastern and Southern Africa Social Policy Team", "KE", "un_agency", ""),
    ("giz-sp", "Social Protection Innovation Programme", "RW", "development_partner", ""),
    ("univ-cape", "Centre for Social Development in Africa", "ZA", "academia", ""),
    ("mena-sp", "Middle East and North Africa Social Policy Forum", "JO", "ngo", ""),
]

DEMO_PASSWORD = "baraza-demo-2027"
DEMO_STAFF_EMAIL = "staff@baraza.example"
DEMO_PARTNER_EMAIL = "partner@baraza.example"
DEMO_MEMBER_COUNT = 320
