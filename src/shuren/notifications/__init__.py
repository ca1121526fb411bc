"""One outbox for every message: in-app, e-mail, SMS, WeCom and WeChat (docs/notifications.md)."""
