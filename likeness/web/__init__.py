"""The browser side: the GraphiQL page at /graphql and the static files it loads from the package."""
