"""The background job queue: procrastinate on the same PostgreSQL, so workers can run anywhere.

`capmatch.jobs.app` is a leaf: it declares the tasks' blueprint and builds the job app, and imports
no task module. Task modules import it to declare their tasks; `capmatch.jobs.registry` imports
every task module, for the processes that run jobs (the worker) rather than only queue them.
"""
