from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from sqm.complaints.tmf import api as tmf621
from sqm.config.api import api
from sqm.tmf.api import urls as tmf_urls
from sqm.tmf.errors import not_found as tmf_not_found
from sqm.tracing.tmf.api import tmf656_api
from sqm.web import views as web_views

admin.site.site_header = _("SQM 系统管理")
admin.site.site_title = _("SQM 系统管理")
admin.site.index_title = _("基础数据与权限")

urlpatterns = [
    # Before admin.site.urls so that it wins: the admin signs in through SQM's one login page.
    path("admin/login/", web_views.admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("tmf-api/troubleTicket/v5/", tmf621.urls()),
    path("tmf-api/serviceProblemManagement/v4/", tmf_urls(tmf656_api)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("sqm.org.urls")),
    path("indicators/", include("sqm.indicators.urls")),
    path("spam/", include("sqm.spam.urls")),
    path("complaints/", include("sqm.complaints.urls")),
    path("voc/", include("sqm.voc.urls")),
    path("planning/", include("sqm.planning.urls")),
    path("tracing/", include("sqm.tracing.urls")),
    path("improvement/", include("sqm.improvement.urls")),
    path("assessment/", include("sqm.assessment.urls")),
    path("notifications/", include("sqm.notifications.urls")),
    path("", include("sqm.web.urls")),
    # Last: under /tmf-api/ a path no API above claims is a TMF630 error body too, never
    # Django's HTML page.
    re_path(r"^tmf-api/", tmf_not_found),
]
