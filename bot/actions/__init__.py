"""The action server's actions: `python -m rasa_sdk --actions bot.actions.actions`.

conversation.py and texts.py hold the conversation free of Rasa, so they import anywhere.
"""
