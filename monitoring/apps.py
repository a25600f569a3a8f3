from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Usage monitoring")

    def ready(self) -> None:
        from core.usage import usage_sink_register
        from monitoring import recording, reports

        usage_sink_register(recording.sink)
        reports.report_category_register()
