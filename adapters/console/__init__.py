"""The console adapter: try Huzzah in a terminal, and drive it end to end in tests and the demo."""
