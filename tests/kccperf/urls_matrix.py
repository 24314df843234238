from tests.matrix import UrlCase, everyone

CASES = [
    # Lead officers land on their returns.
    UrlCase("home", everyone(200, alice=302, bob=302)),
    UrlCase("healthz", everyone(200, anonymous=200)),
    # The accessibility statement is for everyone, signed in or not (linked from every footer).
    UrlCase("accessibility", everyone(200, anonymous=200)),
    UrlCase("switch-period", everyone(302), query="period=2019-20-q1&next=/"),
    # Analysts load KPI, SDP and report data; risk managers load the register.
    UrlCase("load-data", everyone(403, dan=200, erin=200, root=200)),
    UrlCase("login", everyone(302, anonymous=200)),
    UrlCase("logout", everyone(405)),
    UrlCase("logout", everyone(302), method="post", id="post"),
]
