"""Every module of the package imports: no dangling import path, no syntax error anywhere."""
import importlib
import pkgutil
import unittest
import warnings

import netra_backend


class Imports(unittest.TestCase):
    def test_every_module_imports(self):
        names = [info.name for info in pkgutil.walk_packages(netra_backend.__path__, "netra_backend.")]
        self.assertGreater(len(names), 20)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for name in names:
                with self.subTest(module=name):
                    importlib.import_module(name)


if __name__ == "__main__":
    unittest.main()
