"""Data generators (shapes, labels, seeds, geometry) and CSV validation on good and bad files."""

import numpy as np
import pytest

from core import data


@pytest.mark.parametrize("name", data.CLASSIFICATION + data.REGRESSION)
def test_shapes_seeds_and_scale(name):
    a = data.make_toy(name, 300, 0.2, seed=7)
    b = data.make_toy(name, 300, 0.2, seed=7)
    c = data.make_toy(name, 300, 0.2, seed=8)
    assert a.X.shape == (300, 2) and a.y.shape == (300,)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert np.abs(a.X).max() < 2.0  # unit scale: about [-1, 1]
    big = data.make_toy(name, 300, 0.2, seed=7, scale=6.0)
    np.testing.assert_allclose(big.X, a.X * 6.0)


@pytest.mark.parametrize("name", data.CLASSIFICATION)
def test_classification_labels_are_balanced_zero_one(name):
    d = data.make_toy(name, 400, 0.0, seed=1)
    assert set(np.unique(d.y)) == {0, 1}
    assert 0.3 < d.y.mean() < 0.7


def test_xor_is_the_lecture_quadrant_rule_without_noise():
    d = data.make_toy("xor", 500, 0.0, seed=3)
    np.testing.assert_array_equal(d.y, (d.X[:, 0] * d.X[:, 1] > 0).astype(int))


def test_circle_inner_disc_is_class_one_without_noise():
    d = data.make_toy("circle", 500, 0.0, seed=3)
    r = np.hypot(d.X[:, 0], d.X[:, 1])
    assert (r[d.y == 1] <= 2.5 / 6 + 1e-9).all() and (r[d.y == 0] >= 3.5 / 6 - 1e-9).all()


def test_gauss_noise_widens_the_clouds():
    tight, wide = (data.make_toy("gauss", 2000, n, seed=0) for n in (0.0, 0.5))
    assert wide.X[wide.y == 1].std() > 2 * tight.X[tight.y == 1].std()


def test_regression_targets_in_unit_range():
    for name in data.REGRESSION:
        y = data.make_toy(name, 500, 0.1, seed=0).y
        assert y.dtype.kind == "f" and np.abs(y).max() <= 1.0 and y.std() > 0.05


def test_bad_arguments():
    with pytest.raises(ValueError, match="Unknown data set"):
        data.make_toy("nope")
    with pytest.raises(ValueError, match="noise"):
        data.make_toy("gauss", noise=0.9)


def test_breast_cancer_is_the_real_set_standardised():
    d = data.breast_cancer()
    assert d.X.shape == (569, 2) and d.y.sum() == 212  # 212 malignant tumours in the Wisconsin set
    np.testing.assert_allclose(d.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(d.X.std(axis=0), 1)


def test_split_is_a_seeded_partition():
    d = data.make_toy("gauss", 100, 0.1, seed=0)
    s = data.train_test_split(d, 0.7, seed=5)
    assert len(s.y_train) == 70 and len(s.y_test) == 30
    both = np.vstack([s.X_train, s.X_test])
    assert sorted(map(tuple, both)) == sorted(map(tuple, d.X))
    np.testing.assert_array_equal(s.X_train, data.train_test_split(d, 0.7, seed=5).X_train)
    with pytest.raises(ValueError):
        data.train_test_split(d, 1.0)


def test_csv_good_file_maps_labels_and_drops_missing_rows():
    ds, notes = data.load_csv("a,b,label\n1,2,cat\n3,4,dog\n,5,cat\n5,nan,dog\n6,inf,cat\n0.5,1,dog\n")
    assert ds.X.shape == (3, 2) and ds.feature_names == ("a", "b")
    np.testing.assert_array_equal(ds.y, [0, 1, 1])
    assert any("Dropped 3" in n for n in notes) and any("'dog'" in n for n in notes)


def test_csv_numeric_labels_keep_their_order():
    ds, _ = data.load_csv("x1,x2,y\n0,0,-1\n1,1,1\n")
    np.testing.assert_array_equal(ds.y, [0, 1])


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("x1,x2,label\n", "no data rows"),
        ("x1,x2,label\n1,abc,0\n2,3,1\n", "must be numeric; row 2"),
        ("x1,x2,label\n1,2,0\n3,4,0\n", "Only one class"),
        ("x1,x2,label\n1,2,0\n3,4,1\n5,6,2\n", "3 label values"),
        ("x1,x2\n1,2\n", "Expected 3 columns"),
        ("a,b,c,d\n1,2,3,0\n", "Expected 3 columns"),
        ("x1,x2,label\nnan,1,0\n1,nan,1\n", "No complete rows"),
        ("x1,x2,label\n1e300,1,0\n1,2,1\n", "within"),
        ('x1,x2,label\n"1,2,0\n', "not a readable CSV"),
    ],
)
def test_csv_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        data.load_csv(text)


def test_csv_caps_rows_and_bytes():
    rows = "x1,x2,label\n" + "1,2,0\n3,4,1\n" * (data.MAX_ROWS // 2 + 1)
    with pytest.raises(ValueError, match="more than"):
        data.load_csv(rows)
    with pytest.raises(ValueError, match="limit"):
        data.load_csv(b"x" * (data.MAX_UPLOAD_BYTES + 1))


def test_csv_rejects_binary_garbage():
    with pytest.raises(ValueError):
        data.load_csv(bytes(range(256)) * 10)


@pytest.mark.parametrize("name", data.MULTICLASS)
@pytest.mark.parametrize("k", [3, 5])
def test_multiclass_sets_have_k_balanced_classes(name, k):
    d = data.make_multiclass(name, 300, k, 0.1, seed=2)
    assert d.X.shape == (300, 2) and sorted(np.unique(d.y)) == list(range(k))
    assert np.bincount(d.y).min() == 300 // k
    np.testing.assert_array_equal(d.X, data.make_multiclass(name, 300, k, 0.1, seed=2).X)
    with pytest.raises(ValueError):
        data.make_multiclass(name, 300, 6)
