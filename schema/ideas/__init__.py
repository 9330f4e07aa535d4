"""GraphQL of ideas: what people record about an innovation (comments, endorsements,
involvement, owners)."""
