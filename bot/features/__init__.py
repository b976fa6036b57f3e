"""Features are platform-blind services: an incoming or a job tick in, a Response and queued deliveries out."""
