"""Frames: project, trade and event records assembled from the mentions of a document."""
