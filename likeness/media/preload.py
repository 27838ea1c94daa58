"""Imported by the file workers' fork server before it forks a worker (likeness.media.workers): dlib's face
models loaded here, once, are shared by every worker (copy-on-write), so no worker reads their 30 MB of
files or builds the networks again (docs/performance.md, "Faces")."""

from likeness.media.faces import models

models()
