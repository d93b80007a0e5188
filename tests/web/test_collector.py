"""The serving process tunes Python's garbage collector once the app is built."""

import gc

from capmatch.app import create_app


def test_building_the_app_freezes_its_objects_and_collects_the_young_generation_less_often():
    before = gc.get_threshold()
    try:
        create_app()
        assert gc.get_freeze_count() > 10_000, "the app's long-lived objects are out of the collector's walk"
        assert gc.get_threshold() == (20_000, 20, 10)
    finally:
        gc.set_threshold(*before)
