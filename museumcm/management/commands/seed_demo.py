from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from ask import demo as ask_demo
from editorial import demo as editorial_demo
from editorial import demo_live
from inbox import demo as inbox_demo
from insights import demo as insights_demo
from publishing import demo as publishing_demo


class Command(BaseCommand):
    help = "Load a plausible museum's team, accounts and content. Idempotent: running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        users = accounts_demo.seed()
        publishing_demo.seed()
        editorial_demo.seed()
        demo_live.seed()
        inbox_demo.seed()
        insights_demo.seed()
        ask_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo museum ready: Musée Marceau."))
        self.stdout.write(f"Sign in with one of these (password for all: {accounts_demo.PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<8} {user.role_label}")
