from django.urls import path

from fazhi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("sign-out-everywhere/", views.sign_out_all, name="sign_out_all"),
    path("set-password/<str:uidb64>/<str:token>/", views.set_password, name="set_password"),
    path("lockouts/", views.lockouts, name="lockouts"),
]
