"""The innovation itself: the aggregate root, composed of each capability's part; its stages."""
