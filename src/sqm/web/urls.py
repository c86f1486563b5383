from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from sqm.web import assets, views

urlpatterns = [
    path("", views.home, name="home"),
    path("inventory/", views.inventory, name="inventory"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(f"assets/plotly-{assets.PLOTLY_VERSION}.min.js", views.plotly_js, name="plotly_js"),
]
