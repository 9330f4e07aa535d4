"""The ideas read model: an innovation's comments, endorsements, involvement and owners."""
