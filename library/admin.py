from django.contrib import admin

from library.admin_glossary import register_glossary_admin
from library.admin_programmes import register_programme_admin

register_glossary_admin(admin.site)
register_programme_admin(admin.site)
