"""The asking form: no CAPTCHA (visitors' privacy), but a honeypot, a minimum time to fill (a signed timestamp),
per-address limits (ask.limits) and moderation stop robots. Every refusal says why and keeps what was typed."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ask.models import NAME_MAX, QUESTION_MAX, Question, Theme
from ask.rendering import answer_problems
from inbox.models import Message, Reply
from museumcm.fields import REPLY_MAX
from museumcm.text import visible_controls

STARTED_SALT = "ask.form-started"
# A link in a question is what robots post; a person may have one too: such questions are held for moderation.
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def started_token() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": QUESTION_MAX, "data-counter": "question-counter"}),
        error_messages={
            "required": _("Please write your question."),
            "max_length": _("Your question is too long: %(show_value)d characters, %(limit_value)d at most."),
        },
    )
    name = forms.CharField(
        label=_("Your first name (optional)"),
        max_length=NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"max_length": _("Your first name is too long: %(limit_value)d characters at most.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_(
            "Only to tell you when your question is answered. It is erased once we have written to you, or after "
            "90 days; you can withdraw it from the link in our e-mail."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("This e-mail address does not look right: please check it.")},
    )
    consent = forms.BooleanField(label=_("I agree to be e-mailed once, when my question is answered."), required=False)
    # The honeypot: hidden from people (and screen readers) by the stylesheet; robots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text.replace("\u200b", "").strip():
            raise forms.ValidationError(_("Please write your question."))
        return text

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if "\r" in name or "\n" in name:  # e-mail header injection: a name never has a line break
            raise forms.ValidationError(_("Your first name cannot contain a line break."))
        if visible_controls(name) != name:  # a direction override or an invisible character: reads as another name
            raise forms.ValidationError(
                _(
                    "Your first name contains invisible or direction-changing characters (%(shown)s): "
                    "please remove them."
                ),
                params={"shown": visible_controls(name)},
            )
        return name.strip()

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error("consent", _("Tick this box so that we may write to you, or leave the address empty."))
        return data

    @property
    def robot(self) -> str:
        """Why this looks like a program, or "" (checked on a bound, valid form)."""
        if self.cleaned_data.get("website"):
            return "honeypot"
        try:
            started = signing.loads(self.cleaned_data.get("started", ""), salt=STARTED_SALT, max_age=86_400)
        except (signing.BadSignature, TypeError):
            return "stale"
        return "fast" if time.time() - float(started) < settings.ASK_MIN_FILL_SECONDS else ""

    @property
    def held(self) -> bool:
        return bool(LINK.search(self.cleaned_data["text"]))


class ApproveForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "A blank line between paragraphs; links as they are; an image on its own line as "
            "![what the image shows](https://…/image.jpg)."
        ),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)

    def clean_text(self):
        text = self.cleaned_data["text"]
        problems = answer_problems(text)
        if problems:
            raise forms.ValidationError(problems)
        return text


def approve_form(*, message: Message, question: Question, data=None) -> ApproveForm:
    """The approval form, filled with the curator's latest draft (or the answer approved before)."""
    draft = message.replies.filter(state=Reply.State.DRAFT).order_by("-pk").first()
    initial = {"text": draft.text if draft else question.answer, "theme": question.theme_id}
    return ApproveForm(data, initial=initial)
