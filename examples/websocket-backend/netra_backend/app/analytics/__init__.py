"""Product analytics over delivered WebSocket events."""
