"""moto_server (moto 5.2.1) with kubeline's test-peer fixes, then the stock moto CLI.

Usage: python3 moto_peer.py -H 127.0.0.1 -p PORT   (the arguments are moto_server's)

The fixes reach into moto internals, so the moto version is pinned and checked. What moto lacks
(EKS add-ons, access entries, identity provider configs, DescribeClusterVersions, fields that
CreateCluster drops) is added by the TypeScript front proxy, not here.
"""

import functools
import logging
import os
import sys
import threading

import moto

REQUIRED_MOTO = "5.2.1"
if moto.__version__ != REQUIRED_MOTO:
    sys.exit(
        f"moto_peer.py patches moto {REQUIRED_MOTO} internals, but moto {moto.__version__} "
        f"is installed for {sys.executable}"
    )

import moto.eks.models as eks_models  # noqa: E402
import moto.eks.utils as eks_utils  # noqa: E402
import moto.server  # noqa: E402
from boto3 import Session  # noqa: E402
from moto.core.responses import ActionResult  # noqa: E402
from moto.utilities.utils import get_partition  # noqa: E402


class _CachedPartitions:
    """Speed: EKS CreateCluster/CreateNodegroup validate the role ARN against boto3's partitions,
    and stock builds a new boto3 Session (parsing endpoints.json) per call: 30-350 ms a cluster."""

    @staticmethod
    @functools.cache
    def get_available_partitions():
        return Session().get_available_partitions()


eks_utils.Session = _CachedPartitions

_stock_nodegroup_init = eks_models.Nodegroup.__init__


def _nodegroup_init(self, *args, remote_access=None, **kwargs):
    """Fidelity: AWS reports no remoteAccess (nor its security group) unless the request asked for
    SSH; stock invents ec2SshKey "eksKeypair", which a scanner reads as SSH open to the world."""
    _stock_nodegroup_init(self, *args, remote_access=remote_access, **kwargs)
    if not remote_access:
        self.remote_access = None
        self.resources.pop("remoteAccessSecurityGroup", None)


eks_models.Nodegroup.__init__ = _nodegroup_init


def _describe_regions(self):
    """Fidelity: AWS lists the regions of the caller's partition, and only the enabled ones unless
    AllRegions is true; stock lists every region of every partition, opted in or not."""
    self.error_on_dryrun()
    regions = self.ec2_backend.describe_regions(self._get_param("RegionNames", []))
    all_regions = self._get_bool_param("AllRegions", False)
    partition = get_partition(self.region)
    listed = [
        region
        for region in regions
        if get_partition(region.name) == partition
        and (all_regions or region.opt_in_status != "not-opted-in")
    ]
    return ActionResult({"Regions": listed})


_stock_create_backend_app = moto.server.create_backend_app


def _create_backend_app(service):
    """Patches EC2 when moto first serves it: importing EC2 up front would add 0.7 s to every start."""
    app = _stock_create_backend_app(service)
    if service == "ec2":
        from moto.ec2.responses.availability_zones_and_regions import (
            AvailabilityZonesAndRegions,
        )

        AvailabilityZonesAndRegions.describe_regions = _describe_regions
    return app


moto.server.create_backend_app = _create_backend_app


def _exit_when_parent_goes():
    """No orphans: the test peer holds our stdin, so EOF means it stopped or died (even by SIGKILL)."""
    sys.stdin.buffer.read()
    os._exit(0)


if os.environ.get("MOTO_PEER_EXIT_ON_STDIN_EOF") == "1":
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()

# One log line per request costs the peer CPU at benchmark rates; errors and tracebacks still show.
if os.environ.get("MOTO_PEER_LOG_REQUESTS") != "1":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
