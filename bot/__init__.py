"""The Rasa assistant: config, domain, rules and stories, and the action server's actions."""
