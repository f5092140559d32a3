import numpy as np
import pytest

from lowvis.datasets.transforms import Flip


def _img():
    return np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)


@pytest.mark.parametrize('direction,axis', [('horizontal', 1),
                                            ('vertical', 0)])
def test_prob_one_always_flips(direction, axis):
    out = Flip('img_A', prob=1, direction=direction)(dict(img_A=_img()))
    np.testing.assert_array_equal(out['img_A'], np.flip(_img(), axis))
    assert out['img_A'].shape == (2, 3, 3)


def test_prob_zero_never_flips():
    out = Flip(['img_A', 'img_B'], prob=0)(dict(img_A=_img(), img_B=_img()))
    np.testing.assert_array_equal(out['img_A'], _img())
    np.testing.assert_array_equal(out['img_B'], _img())


def test_independent_and_shared_draws():
    np.random.seed(3)
    flip = Flip(['img_A', 'img_B'], prob=0.5)
    outcomes = set()
    for _ in range(40):
        r = flip(dict(img_A=_img(), img_B=_img()))
        outcomes.add((np.array_equal(r['img_A'], _img()),
                      np.array_equal(r['img_B'], _img())))
    assert outcomes == {(True, True), (True, False), (False, True),
                        (False, False)}
    same = Flip(['img_A', 'img_B'], prob=0.5, same=True)
    for _ in range(20):
        r = same(dict(img_A=_img(), img_B=_img()))
        np.testing.assert_array_equal(r['img_A'], r['img_B'])


def test_bad_arguments():
    with pytest.raises(ValueError, match='direction'):
        Flip('img_A', direction='diagonal')
    with pytest.raises(ValueError, match='prob'):
        Flip('img_A', prob=1.5)
