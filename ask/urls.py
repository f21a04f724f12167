"""The public site's addresses (under /ask/ in the app, or at the root of `ASK_HOST`) and the team's pages."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from ask.caching import cached_page
from ask.feeds import AnswersFeed, AnswersSitemap
from ask.views import public, team

public_urls = [
    path("", public.home, name="ask_home"),
    path("ask/", public.ask, name="ask_submit"),
    path("thanks/", public.thanks, name="ask_thanks"),
    path("answers/", public.archive, name="ask_archive"),
    path("themes/<slug:theme>/", public.archive, name="ask_theme"),
    path("answers/<str:slug>/", public.answer, name="ask_answer"),
    path("feed/", login_not_required(cached_page(AnswersFeed(), by_host=True)), name="ask_feed"),
    path(
        "sitemap.xml",
        login_not_required(cached_page(sitemap, by_host=True)),
        {"sitemaps": {"answers": AnswersSitemap}},
        name="ask_sitemap",
    ),
    path("embed/", public.embed, name="ask_embed"),
    path("forget/<str:token>/", public.forget, name="ask_forget"),
    path("language/<str:code>/", public.language, name="ask_language"),
    path("colours.css", public.theme_css, name="ask_css"),
]

team_urls = [
    path("team/", team.queue, name="ask_team"),
    path("team/questions/<int:pk>/", team.review, name="ask_review"),
    path("team/questions/<int:pk>/duplicate/", team.duplicate, name="ask_duplicate"),
    path("team/questions/<int:pk>/post/", team.make_post, name="ask_make_post"),
    path("team/questions/<int:pk>/move/", team.move, name="ask_move"),
    path("team/questions/<int:pk>/day/", team.move_to_day, name="ask_move_to_day"),
    path("team/questions/<int:pk>/withdraw/", team.withdraw, name="ask_withdraw"),
]

urlpatterns = public_urls + team_urls
