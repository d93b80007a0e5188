"""The secretariat's administration pages: organizations, users and taxonomies."""
