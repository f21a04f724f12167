"""The posts table's cells name each post's network as its account behaves: the imitated one for a sandbox."""

import pytest
from django.utils import translation

from insights.templatetags.insights_tags import Cells
from publishing.models import Network
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_a_cell_names_the_imitated_network_else_the_account_s_own_in_the_language():
    imitating = SocialAccountFactory(network=Network.SANDBOX, imitates=Network.TUMBLR, display_name="Bac")
    plain = SocialAccountFactory(network=Network.SANDBOX, display_name="Sable")
    with translation.override("fr"):
        cells = Cells()
        assert cells.account(imitating) == (str(imitating), imitating.get_imitates_display())
        assert cells.account(plain) == (str(plain), plain.get_network_display())
        assert cells.account(imitating)[1] == "Tumblr"
        assert cells.count(None, cells.account(imitating)[1]) == (
            '<span class="absent" title="Non fourni par Tumblr">—</span>'
        )
