"""The inbox's pages, one module per screen: the list, a conversation, questions for experts, saved replies."""
