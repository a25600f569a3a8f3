# ruff: noqa: E501 (data: definitions are sentences)
"""The demo glossary: real social-protection concepts, each language in its own words.

(key, {language: (term, abbreviation, synonyms, definition)}, see_also, sources)
Loaded by library.seeding through the same CSV import staff use.
"""

ISPA = "ISPA | 2016 | Inter-Agency Social Protection Assessments: glossary | https://ispatools.org | 2026-11-02"
SPIAC = (
    "SPIAC-B | 2019 | Social protection terminology | https://www.socialprotection.org | 2026-11-02"
)
WB = "World Bank | 2018 | The State of Social Safety Nets 2018 | https://www.worldbank.org/en/topic/safetynets | 2026-11-02"
ILO = "ILO | 2021 | World Social Protection Report 2020–22 | https://www.ilo.org/wsr | 2026-11-02"
FAO = (
    "FAO | 2017 | Social protection framework | https://www.fao.org/social-protection | 2026-11-02"
)

CONCEPTS = [
    (
        "conditional-cash-transfer",
        {
            "en": (
                "conditional cash transfer",
                "CCT",
                ["CCTs"],
                "A regular cash payment to poor households on the condition that they meet agreed behaviours, such as sending children to school or attending health check-ups.",
            ),
            "es": (
                "transferencia monetaria condicionada",
                "TMC",
                ["TMCs", "transferencia condicionada en efectivo"],
                "Pago periódico en efectivo a hogares pobres sujeto a que cumplan corresponsabilidades acordadas, como la asistencia escolar de los hijos o los controles de salud.",
            ),
            "fr": (
                "transfert monétaire conditionnel",
                "TMC",
                ["transfert en espèces conditionnel"],
                "Versement régulier d'argent aux ménages pauvres, subordonné au respect de conditions convenues, par exemple la scolarisation des enfants ou des visites médicales.",
            ),
        },
        ["unconditional-cash-transfer", "conditionality", "targeting"],
        [WB, ISPA],
    ),
    (
        "unconditional-cash-transfer",
        {
            "en": (
                "unconditional cash transfer",
                "UCT",
                [],
                "A cash payment to eligible people or households that asks nothing of them in return.",
            ),
            "es": (
                "transferencia monetaria no condicionada",
                "TMNC",
                ["transferencia incondicional"],
                "Pago en efectivo a personas u hogares elegibles que no exige ninguna contraprestación.",
            ),
            "fr": (
                "transfert monétaire non conditionnel",
                "TMNC",
                ["transfert inconditionnel"],
                "Versement d'argent aux personnes ou ménages éligibles sans aucune contrepartie exigée.",
            ),
        },
        ["conditional-cash-transfer"],
        [WB],
    ),
    (
        "conditionality",
        {
            "en": (
                "conditionality",
                "",
                ["co-responsibility"],
                "The requirements a household must meet to keep receiving a benefit, and the way compliance is checked.",
            ),
            "es": (
                "condicionalidad",
                "",
                ["corresponsabilidad"],
                "Requisitos que un hogar debe cumplir para seguir recibiendo una prestación, y la forma en que se verifica su cumplimiento.",
            ),
            "fr": (
                "conditionnalité",
                "",
                ["coresponsabilité"],
                "Exigences qu'un ménage doit respecter pour continuer à percevoir une prestation, et manière dont leur respect est vérifié.",
            ),
        },
        ["conditional-cash-transfer"],
        [ISPA],
    ),
    (
        "social-pension",
        {
            "en": (
                "social pension",
                "",
                ["non-contributory pension"],
                "A regular cash benefit paid to older people that does not depend on contributions made during their working life.",
            ),
            "es": (
                "pensión social",
                "",
                ["pensión no contributiva"],
                "Prestación monetaria periódica para personas mayores que no depende de cotizaciones realizadas durante la vida laboral.",
            ),
            "fr": (
                "pension sociale",
                "",
                ["pension non contributive"],
                "Prestation en espèces versée régulièrement aux personnes âgées, sans lien avec des cotisations versées pendant la vie active.",
            ),
        },
        ["social-insurance", "universal-basic-income"],
        [ILO],
    ),
    (
        "social-registry",
        {
            "en": (
                "social registry",
                "",
                ["single registry"],
                "An information system that records data on potential beneficiaries so that several programmes can decide who is eligible.",
            ),
            "es": (
                "registro social",
                "",
                ["registro social de hogares", "registro único"],
                "Sistema de información que reúne datos sobre posibles beneficiarios para que varios programas determinen quién es elegible.",
            ),
            "fr": (
                "registre social",
                "",
                ["registre unique"],
                "Système d'information qui recueille des données sur les bénéficiaires potentiels afin que plusieurs programmes puissent établir l'éligibilité.",
            ),
        },
        ["targeting", "proxy-means-test"],
        [WB, ISPA],
    ),
    (
        "targeting",
        {
            "en": (
                "targeting",
                "",
                [],
                "The methods used to decide which people or households receive a benefit and which do not.",
            ),
            "es": (
                "focalización",
                "",
                [],
                "Conjunto de métodos para decidir qué personas u hogares reciben una prestación y cuáles no.",
            ),
            "fr": (
                "ciblage",
                "",
                [],
                "Ensemble des méthodes servant à décider quelles personnes ou quels ménages reçoivent une prestation.",
            ),
        },
        ["proxy-means-test", "community-based-targeting", "inclusion-error"],
        [WB],
    ),
    (
        "proxy-means-test",
        {
            "en": (
                "proxy means test",
                "PMT",
                [],
                "An estimate of a household's welfare from observable characteristics, such as housing and assets, used where incomes cannot be verified.",
            ),
            "es": (
                "prueba de medios sustitutiva",
                "PMT",
                ["comprobación indirecta de medios"],
                "Estimación del bienestar de un hogar a partir de características observables, como la vivienda y los bienes, cuando los ingresos no pueden verificarse.",
            ),
            "fr": (
                "évaluation indirecte des ressources",
                "PMT",
                ["test des moyens approché"],
                "Estimation du niveau de vie d'un ménage à partir de caractéristiques observables, comme le logement et les biens, lorsque les revenus ne sont pas vérifiables.",
            ),
        },
        ["targeting", "means-test"],
        [WB],
    ),
    (
        "means-test",
        {
            "en": (
                "means test",
                "",
                [],
                "An assessment of income or assets used to decide whether someone qualifies for a benefit.",
            ),
            "es": (
                "prueba de medios",
                "",
                ["comprobación de medios"],
                "Evaluación de los ingresos o bienes para decidir si alguien tiene derecho a una prestación.",
            ),
            "fr": (
                "examen des ressources",
                "",
                ["condition de ressources"],
                "Évaluation des revenus ou du patrimoine servant à décider si une personne a droit à une prestation.",
            ),
        },
        ["proxy-means-test"],
        [ILO],
    ),
    (
        "community-based-targeting",
        {
            "en": (
                "community-based targeting",
                "",
                [],
                "Targeting in which community members or leaders decide who in the community is eligible.",
            ),
            "es": (
                "focalización comunitaria",
                "",
                [],
                "Focalización en la que miembros o líderes de la comunidad deciden quiénes son elegibles.",
            ),
            "fr": (
                "ciblage communautaire",
                "",
                [],
                "Ciblage dans lequel les membres ou les responsables de la communauté désignent les personnes éligibles.",
            ),
        },
        ["targeting"],
        [ISPA],
    ),
    (
        "inclusion-error",
        {
            "en": (
                "inclusion error",
                "",
                ["leakage"],
                "Benefits reaching people a programme did not intend to cover.",
            ),
            "es": (
                "error de inclusión",
                "",
                ["filtración"],
                "Prestaciones que llegan a personas que el programa no pretendía cubrir.",
            ),
            "fr": (
                "erreur d'inclusion",
                "",
                ["fuite"],
                "Prestations perçues par des personnes que le programme ne visait pas.",
            ),
        },
        ["exclusion-error", "targeting"],
        [WB],
    ),
    (
        "exclusion-error",
        {
            "en": (
                "exclusion error",
                "",
                ["undercoverage"],
                "Eligible people a programme fails to reach.",
            ),
            "es": (
                "error de exclusión",
                "",
                ["subcobertura"],
                "Personas elegibles a las que el programa no llega.",
            ),
            "fr": (
                "erreur d'exclusion",
                "",
                ["sous-couverture"],
                "Personnes éligibles que le programme ne parvient pas à atteindre.",
            ),
        },
        ["inclusion-error", "targeting"],
        [WB],
    ),
    (
        "graduation",
        {
            "en": (
                "graduation approach",
                "",
                ["graduation"],
                "A sequenced package of consumption support, an asset transfer, training, savings and coaching meant to lift extremely poor households into sustainable livelihoods.",
            ),
            "es": (
                "enfoque de graduación",
                "",
                ["graduación"],
                "Paquete secuenciado de apoyo al consumo, transferencia de activos, capacitación, ahorro y acompañamiento para que hogares en pobreza extrema logren medios de vida sostenibles.",
            ),
            "fr": (
                "approche de graduation",
                "",
                ["graduation"],
                "Ensemble séquencé d'aide à la consommation, de transfert d'actifs, de formation, d'épargne et d'accompagnement pour que des ménages très pauvres accèdent à des moyens de subsistance durables.",
            ),
        },
        ["cash-plus", "economic-inclusion"],
        [FAO],
    ),
    (
        "adaptive-social-protection",
        {
            "en": (
                "adaptive social protection",
                "ASP",
                [],
                "Social protection designed to help households prepare for, cope with and adapt to shocks, including climate shocks.",
            ),
            "es": (
                "protección social adaptativa",
                "PSA",
                [],
                "Protección social diseñada para que los hogares se preparen ante las crisis, las enfrenten y se adapten a ellas, incluidas las climáticas.",
            ),
            "fr": (
                "protection sociale adaptative",
                "PSA",
                [],
                "Protection sociale conçue pour aider les ménages à se préparer aux chocs, y compris climatiques, à y faire face et à s'y adapter.",
            ),
        },
        ["shock-responsive-social-protection"],
        [WB],
    ),
    (
        "shock-responsive-social-protection",
        {
            "en": (
                "shock-responsive social protection",
                "",
                [],
                "Using or adjusting existing social protection programmes and systems to reach people affected by a crisis.",
            ),
            "es": (
                "protección social reactiva ante emergencias",
                "",
                ["protección social reactiva"],
                "Uso o ajuste de los programas y sistemas de protección social existentes para llegar a las personas afectadas por una crisis.",
            ),
            "fr": (
                "protection sociale réactive aux chocs",
                "",
                [],
                "Utilisation ou adaptation des programmes et systèmes de protection sociale existants pour atteindre les personnes touchées par une crise.",
            ),
        },
        ["adaptive-social-protection"],
        [SPIAC],
    ),
    (
        "social-insurance",
        {
            "en": (
                "social insurance",
                "",
                ["contributory scheme"],
                "Schemes financed by contributions that protect members against risks such as old age, illness, disability or unemployment.",
            ),
            "es": (
                "seguro social",
                "",
                ["régimen contributivo"],
                "Regímenes financiados con cotizaciones que protegen a sus afiliados frente a riesgos como la vejez, la enfermedad, la discapacidad o el desempleo.",
            ),
            "fr": (
                "assurance sociale",
                "",
                ["régime contributif"],
                "Régimes financés par des cotisations qui protègent leurs affiliés contre des risques comme la vieillesse, la maladie, l'invalidité ou le chômage.",
            ),
        },
        ["social-assistance", "social-pension"],
        [ILO],
    ),
    (
        "social-assistance",
        {
            "en": (
                "social assistance",
                "",
                ["social safety net", "safety net"],
                "Non-contributory transfers, in cash or in kind, to people living in poverty or at risk of it, financed by taxes or aid.",
            ),
            "es": (
                "asistencia social",
                "",
                ["red de protección social"],
                "Transferencias no contributivas, en efectivo o en especie, a personas en situación o riesgo de pobreza, financiadas con impuestos o ayuda.",
            ),
            "fr": (
                "assistance sociale",
                "",
                ["filet de sécurité sociale", "filets sociaux"],
                "Transferts non contributifs, en espèces ou en nature, destinés aux personnes pauvres ou menacées de pauvreté, financés par l'impôt ou l'aide.",
            ),
        },
        ["social-insurance", "conditional-cash-transfer"],
        [ILO, WB],
    ),
    (
        "social-protection-floor",
        {
            "en": (
                "social protection floor",
                "SPF",
                [],
                "Nationally defined basic guarantees of health care and income security across the life cycle (ILO Recommendation No. 202).",
            ),
            "es": (
                "piso de protección social",
                "",
                [],
                "Garantías básicas, definidas por cada país, de acceso a la atención de salud y de seguridad del ingreso a lo largo del ciclo de vida (Recomendación núm. 202 de la OIT).",
            ),
            "fr": (
                "socle de protection sociale",
                "",
                [],
                "Garanties élémentaires, définies à l'échelle nationale, d'accès aux soins de santé et de sécurité du revenu tout au long de la vie (Recommandation no 202 de l'OIT).",
            ),
        },
        ["universal-basic-income", "social-pension"],
        [ILO],
    ),
    (
        "universal-basic-income",
        {
            "en": (
                "universal basic income",
                "UBI",
                ["basic income"],
                "A regular cash payment to every individual, without a means test or conditions.",
            ),
            "es": (
                "renta básica universal",
                "RBU",
                ["ingreso básico universal"],
                "Pago periódico en efectivo a cada persona, sin prueba de medios ni condiciones.",
            ),
            "fr": (
                "revenu de base universel",
                "RBU",
                ["revenu universel"],
                "Versement régulier d'argent à chaque personne, sans condition de ressources ni contrepartie.",
            ),
        },
        ["unconditional-cash-transfer"],
        [ILO],
    ),
    (
        "public-works",
        {
            "en": (
                "public works programme",
                "PWP",
                ["cash for work"],
                "A programme that pays people, in cash or food, for work on community assets such as roads or irrigation.",
            ),
            "es": (
                "programa de obras públicas",
                "",
                ["dinero por trabajo", "empleo temporal"],
                "Programa que remunera en efectivo o en alimentos el trabajo en obras comunitarias, como caminos o sistemas de riego.",
            ),
            "fr": (
                "programme de travaux publics",
                "",
                ["argent contre travail", "travaux à haute intensité de main-d'œuvre"],
                "Programme qui rémunère, en espèces ou en vivres, le travail sur des ouvrages collectifs comme les routes ou l'irrigation.",
            ),
        },
        ["graduation"],
        [WB],
    ),
    (
        "cash-plus",
        {
            "en": (
                "cash plus",
                "",
                [],
                "Cash transfers combined with other support, such as information, services or referrals, to improve their effects.",
            ),
            "es": (
                "efectivo plus",
                "",
                ["transferencias plus"],
                "Transferencias monetarias combinadas con otros apoyos, como información, servicios o derivaciones, para potenciar sus efectos.",
            ),
            "fr": (
                "cash plus",
                "",
                ["transferts monétaires plus"],
                "Transferts monétaires associés à d'autres appuis, comme l'information, des services ou des orientations, pour en renforcer les effets.",
            ),
        },
        ["graduation"],
        [FAO],
    ),
    (
        "economic-inclusion",
        {
            "en": (
                "economic inclusion",
                "",
                ["productive inclusion"],
                "Helping poor and vulnerable people increase their incomes and assets through jobs or self-employment.",
            ),
            "es": (
                "inclusión económica",
                "",
                ["inclusión productiva"],
                "Apoyo a las personas pobres y vulnerables para que aumenten sus ingresos y activos mediante el empleo o el trabajo por cuenta propia.",
            ),
            "fr": (
                "inclusion économique",
                "",
                ["inclusion productive"],
                "Appui aux personnes pauvres et vulnérables pour qu'elles augmentent leurs revenus et leurs actifs par l'emploi ou le travail indépendant.",
            ),
        },
        ["graduation", "cash-plus"],
        [WB],
    ),
    (
        "grievance-redress-mechanism",
        {
            "en": (
                "grievance redress mechanism",
                "GRM",
                ["complaints mechanism"],
                "The channels through which applicants and beneficiaries can complain about a programme and get an answer.",
            ),
            "es": (
                "mecanismo de quejas y reclamos",
                "",
                ["mecanismo de atención de quejas"],
                "Canales por los que solicitantes y beneficiarios pueden presentar quejas sobre un programa y obtener respuesta.",
            ),
            "fr": (
                "mécanisme de gestion des plaintes",
                "",
                ["mécanisme de recours"],
                "Canaux par lesquels demandeurs et bénéficiaires peuvent se plaindre d'un programme et obtenir une réponse.",
            ),
        },
        ["social-registry"],
        [ISPA],
    ),
    (
        "child-grant",
        {
            "en": (
                "child grant",
                "",
                ["child benefit", "child allowance"],
                "A regular cash benefit paid for children, to their parents or caregivers.",
            ),
            "es": (
                "asignación por hijo",
                "",
                ["asignación familiar", "prestación por hijo"],
                "Prestación monetaria periódica que se paga por cada hijo a sus padres o cuidadores.",
            ),
            "fr": (
                "allocation pour enfant",
                "",
                ["allocations familiales"],
                "Prestation en espèces versée régulièrement aux parents ou aux personnes qui s'occupent d'un enfant.",
            ),
        },
        ["social-assistance"],
        [ILO],
    ),
]
