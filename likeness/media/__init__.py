"""Files in: the hashes, Content Credentials and faces of an image or video file, read from its bytes alone.

Pure: reads bytes, touches no graph and no GraphQL. `hashing.hash_file` is the entry point; docs/hashing.md
defines every value exactly so that anyone can recompute it. The modules import their libraries (Pillow,
imagehash, PyAV, c2pa-python, dlib) at the top, so import them where a file is hashed, not on every start.
"""
