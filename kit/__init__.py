"""Domain-free helpers shared by every app of the project; imports no app of the project."""
