"""The app's pages: each reads widgets, calls `planner`, and renders."""
