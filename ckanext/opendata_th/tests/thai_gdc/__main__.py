"""Run the local thai_gdc CKAN by hand:

    python -m ckanext.opendata_th.tests.thai_gdc --datasets 50 --port 8800

then browse ``http://127.0.0.1:8800/api/3/action/package_search``. Stops on Ctrl-C.
"""
from __future__ import annotations

import argparse
import threading

from .catalog import ThaiGdcCatalog, sample_datasets, sample_organizations
from .server import ThaiGdcServer


def main(argv: "list[str] | None" = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ckanext.opendata_th.tests.thai_gdc",
                                     description="Serve a local thai_gdc CKAN catalog.")
    parser.add_argument("--datasets", type=int, default=50, help="how many sample datasets")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample datasets")
    parser.add_argument("--organizations", default="trade-stat,agri-data",
                        help="comma-separated organization names")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--token", default=None,
                        help="the sysadmin's API token (and the gateway's key)")
    parser.add_argument("--token-header", default="api-key", help="the gateway's key header")
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.organizations.split(",") if n.strip()]
    catalog = ThaiGdcCatalog(organizations=sample_organizations(names))
    server = ThaiGdcServer(catalog, token=args.token, token_header=args.token_header,
                           host=args.host, port=args.port)
    with server:
        for dataset in sample_datasets(args.datasets, seed=args.seed, organizations=names,
                                       site_url=server.url):
            catalog.add(dataset)
        print(f"thai_gdc catalog of {len(catalog.datasets)} datasets at {server.url} "
              f"(gateway {server.gateway_url}); Ctrl-C stops it", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", flush=True)


if __name__ == "__main__":
    main()
