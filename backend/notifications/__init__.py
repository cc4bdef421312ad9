"""Notifications to users: Web Push today (a notification channel, not an appointment rule)."""
