from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.forms import InvitationForm, ProfileForm, RoleForm
from accounts.tokens import invitation_token_generator

User = get_user_model()


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        if request.user.language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_not_required
@require_POST
def switch_language(request):
    """Django's set_language, remembering the choice on the profile of a signed-in user."""
    if request.user.is_authenticated and request.POST.get("language") in dict(settings.LANGUAGES):
        request.user.language = request.POST["language"]
        request.user.save(update_fields=["language"])
    return set_language(request)


@permission_required("accounts.manage_team", raise_exception=True)
def team(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(**form.cleaned_data, invited_by=request.user, site_url=settings.SITE_URL)
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": user.email})
        return redirect("team")
    members = User.objects.active().prefetch_related("groups").order_by("display_name", "username")
    return render(request, "accounts/team.html", {"form": form, "members": members, "role_form": RoleForm()})


@require_POST
@permission_required("accounts.manage_team", raise_exception=True)
def change_role(request, pk):
    member = get_object_or_404(User.objects.active(), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_role(user=member, role=form.cleaned_data["role"], by=request.user)
        except services.RoleChangeRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is now %(role)s.") % {"name": member, "role": member.role_label})
    return redirect("team")


@require_POST
@permission_required("accounts.manage_team", raise_exception=True)
def remove_member(request, pk):
    member = get_object_or_404(User.objects.active(), pk=pk)
    try:
        services.user_remove_from_team(user=member, by=request.user)
    except services.RoleChangeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s no longer has access.") % {"name": member})
    return redirect("team")


@login_not_required
def accept_invitation(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not invitation_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Welcome! Your password is set; please sign in."))
        return redirect("login")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited": user})
