"""The execution room: how a GraphQL operation runs, between the app and the schema's shapes.

- build.py     the executable Schema: the schema's Query and Mutation roots with the execution, the
               limits, the domain errors and the document caches (`build_schema`; `schema`, the shipped one).
- fastexec.py  graphql-core's execution with plain subtrees completed directly (LIKENESS_FASTEXEC).
- limits.py    what an operation may ask (tokens, depth, aliases, estimated cost) and the execution that
               stops it at its bounds; cost.py measures a document before it runs.
- bounds.py    one request's bounds: the object cap, the deadline, the database work to cancel.
- context.py   the Context a request reads through: the resolvers' Context with strawberry's DataLoaders,
               each load counted against the bounds (`context_for`).
- persisted.py the documents clients name by SHA-256 (Apollo's automatic persisted queries), per process.
- pinned.py    whether an operation's answer is a function of the graph alone (the root fields that read
               only the graph, every asOf given): a GET of it may carry an ETag (likeness.web.conditional).

It runs operations and reads no data itself: the resolvers declare what they need of it
(likeness.resolvers.context: Loaders, Bounds) and it builds them.
"""
