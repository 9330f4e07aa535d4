"""Running as a service: settings, JSON logs, supervised workers, the async face."""
