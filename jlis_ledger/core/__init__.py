"""Core vocabulary of the library: periods and fiscal years (和暦 names), and what every concept shares."""
