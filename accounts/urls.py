from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("", include("django.contrib.auth.urls")),
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="switch_language"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/role/", views.change_role, name="change_role"),
    path("team/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("invitation/<uidb64>/<token>/", views.accept_invitation, name="accept_invitation"),
]
