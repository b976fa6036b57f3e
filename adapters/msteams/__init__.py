"""Microsoft Teams: botbuilder's CloudAdapter on /api/messages, Adaptive Cards, paced proactive delivery."""
