"""Publishing pages: social accounts and their connection, publication actions and status, pause everything."""
