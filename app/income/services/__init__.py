"""The services of technical-income verification: records, researchers, the 核定表 and realised income."""
