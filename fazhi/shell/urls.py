from django.contrib.auth import views as auth_views
from django.urls import path

from fazhi.shell import local_rules_views, privacy_views, views

app_name = "shell"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("privacy/<str:label>/<int:pk>/", privacy_views.review, name="privacy_review"),
    path("privacy/<str:label>/<int:pk>/decide/", privacy_views.decide, name="privacy_decide"),
    path("local-rules/", local_rules_views.rule_list, name="local_rules"),
    path("local-rules/<str:setting>/<str:key>/", local_rules_views.rule_edit, name="local_rule"),
]
