"""Weight penalties: the proximal-gradient path against scikit-learn's Lasso, ElasticNet and Ridge (same objective
scaling), the closed-form ridge solution and the lasso's optimality conditions; exact zeros from L1 only."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge, lasso_path

from core import regularization as reg

LAMS = 10.0**reg.LOG_LAMBDAS


@pytest.fixture(scope="module")
def d():
    return reg.make_regression(seed=1)


def test_data_has_the_stated_truth_and_correlation():
    big = reg.make_regression(n=20_000, noise=0.0, seed=3)
    np.testing.assert_allclose(big.y, big.X @ big.w_true)
    assert np.count_nonzero(big.w_true) == 4 and big.X.shape[1] == reg.N_FEATURES
    corr = np.corrcoef(big.X.T)
    assert corr[0, 1] == pytest.approx(0.5, abs=0.03) and corr[0, 2] == pytest.approx(0.25, abs=0.03)


def test_soft_threshold():
    np.testing.assert_array_equal(reg.soft_threshold(np.array([-3.0, -0.5, 0.0, 0.2, 2.0]), 1.0), [-2, 0, 0, 0, 1])


def test_lasso_path_matches_scikit_learn_lasso_with_the_same_alpha(d):
    W, b, _ = reg.fit_path(d.X, d.y, LAMS, 1.0)
    for k in range(0, len(LAMS), 4):
        sk = Lasso(alpha=LAMS[k], tol=1e-12, max_iter=1_000_000).fit(d.X, d.y)
        np.testing.assert_allclose(W[k], sk.coef_, atol=1e-8)
        assert b[k] == pytest.approx(sk.intercept_, abs=1e-8)
        np.testing.assert_array_equal(W[k] == 0, sk.coef_ == 0)  # the same exact zeros


def test_lasso_path_matches_scikit_learns_own_path(d):
    Xc, yc = d.X - d.X.mean(axis=0), d.y - d.y.mean()
    _, coefs, _ = lasso_path(Xc, yc, alphas=LAMS[::-1], tol=1e-12, max_iter=1_000_000)
    W, _, _ = reg.fit_path(d.X, d.y, LAMS, 1.0)
    np.testing.assert_allclose(W, coefs.T[::-1], atol=1e-8)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_elastic_net_matches_scikit_learn(d, rho):
    W, b, _ = reg.fit_path(d.X, d.y, LAMS, rho)
    for k in (0, 15, 30, 40):
        sk = ElasticNet(alpha=LAMS[k], l1_ratio=rho, tol=1e-12, max_iter=1_000_000).fit(d.X, d.y)
        np.testing.assert_allclose(W[k], sk.coef_, atol=1e-8)
        assert b[k] == pytest.approx(sk.intercept_, abs=1e-8)


def test_ridge_is_ridge_with_alpha_n_lambda_and_the_closed_form(d):
    W, b, _ = reg.fit_path(d.X, d.y, LAMS, 0.0)
    n, p = d.X.shape
    Xc, yc = d.X - d.X.mean(axis=0), d.y - d.y.mean()
    for k in (0, 20, 40):
        closed = np.linalg.solve(Xc.T @ Xc / n + LAMS[k] * np.eye(p), Xc.T @ yc / n)
        np.testing.assert_allclose(W[k], closed, atol=1e-9)
        np.testing.assert_allclose(W[k], Ridge(alpha=n * LAMS[k]).fit(d.X, d.y).coef_, atol=1e-9)
        assert not np.allclose(W[k], Ridge(alpha=LAMS[k]).fit(d.X, d.y).coef_, atol=1e-3)  # the scaling matters


def test_lasso_solution_satisfies_its_optimality_conditions(d):
    """Subgradient of J = 0: |X^T r / n| = lambda with the sign of w where w != 0, and <= lambda where w = 0."""
    W, b, _ = reg.fit_path(d.X, d.y, LAMS, 1.0)
    for k in (5, 20, 30):
        r = d.y - b[k] - d.X @ W[k]
        corr = d.X.T @ r / len(d.y)
        on = W[k] != 0
        np.testing.assert_allclose(corr[on], LAMS[k] * np.sign(W[k][on]), atol=1e-8)
        assert np.all(np.abs(corr[~on]) <= LAMS[k] + 1e-8)
        assert abs(r.mean()) < 1e-10  # the unpenalised intercept


def test_reference_uses_the_matching_scikit_learn_model(d):
    for rho in (0.0, 0.4, 1.0):
        W, b, _ = reg.fit_path(d.X, d.y, [0.05], rho)
        w, b0 = reg.reference(d.X, d.y, 0.05, rho)
        np.testing.assert_allclose(W[0], w, atol=1e-8)
        assert reg.cost(d.X, d.y, W[0], b[0], 0.05, rho) <= reg.cost(d.X, d.y, w, b0, 0.05, rho) + 1e-12


def test_l1_gives_exact_zeros_and_l2_only_shrinks(d):
    W1, _, _ = reg.fit_path(d.X, d.y, LAMS, 1.0)
    W2, _, _ = reg.fit_path(d.X, d.y, LAMS, 0.0)
    zeros1, zeros2 = (W1 == 0).sum(axis=1), (W2 == 0).sum(axis=1)
    assert zeros1[-1] == reg.N_FEATURES and zeros1[0] < zeros1[-1] and np.all(np.diff(zeros1) >= -1)
    assert zeros2.max() == 0
    assert np.all(np.diff(np.linalg.norm(W2, axis=1)) < 0)  # ridge shrinks the weights smoothly with lambda
    lam_max = np.abs((d.X - d.X.mean(0)).T @ (d.y - d.y.mean())).max() / len(d.y)
    W, _, _ = reg.fit_path(d.X, d.y, [lam_max * 1.001, lam_max * 0.99], 1.0)
    assert np.all(W[0] == 0) and np.any(W[1] != 0)  # above lambda_max every weight is exactly 0


def test_bad_arguments_refused(d):
    with pytest.raises(ValueError):
        reg.fit_path(d.X, d.y, LAMS, 1.5)
    with pytest.raises(ValueError):
        reg.fit_path(d.X, d.y, [-1.0], 0.5)
