"""In-app and e-mail notifications (通知): what a person is told, once, about work that is
theirs."""
