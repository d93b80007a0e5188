"""A serving process tunes Python's garbage collector once its app is built; an app built in a test does not."""

import gc

from capmatch.app import create_app, serving_app


def test_the_serving_app_freezes_its_objects_and_collects_the_young_generation_less_often():
    before = gc.get_threshold()
    try:
        serving_app()
        assert gc.get_freeze_count() > 10_000, "the app's long-lived objects are out of the collector's walk"
        assert gc.get_threshold() == (20_000, 20, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_an_app_built_for_a_test_leaves_the_collector_alone():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    create_app()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
