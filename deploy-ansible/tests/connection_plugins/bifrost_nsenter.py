# The test hosts' connection: community.docker.nsenter (a command in the namespaces of a booted systemd-nspawn
# container) with what a production SSH connection has (ansible.cfg: pipelining = true) and nsenter lacks:
#
# - pipelining: a module goes to the host's python on stdin, one process per task instead of four (make a temp
#   directory, copy the module, run it, remove the directory);
# - put_file streams the file from disk into `cat` inside the container instead of reading it into memory and
#   piping it through `tee`, which echoes every byte back to the controller (the 180 MB release tarball, once per
#   host and release).
#
# Used by tests/real-run.sh only (ANSIBLE_CONNECTION_PLUGINS); the playbooks and roles do not depend on it.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
name: bifrost_nsenter
short_description: nsenter into a booted container, with pipelining and direct file copies
description:
    - community.docker.nsenter with pipelining and a streamed put_file (tests/real-run.sh).
author: Bifrost
options:
    nsenter_pid:
        description: PID of the container's init (systemd) to enter.
        type: int
        vars:
            - name: ansible_nsenter_pid
'''

import subprocess

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible.utils.display import Display
from ansible.utils.path import unfrackpath
from ansible_collections.community.docker.plugins.connection.nsenter import Connection as NsenterConnection

display = Display()


class Connection(NsenterConnection):
    '''nsenter with pipelining (the module source on stdin) and streamed file copies.'''

    transport = 'bifrost_nsenter'
    has_pipelining = True
    # nsenter passes stdin through to the command, which is all pipelining needs; on regardless of ansible.cfg.
    always_pipeline_modules = True

    def put_file(self, in_path, out_path):
        # ConnectionBase.put_file only connects (sets _nsenter_pid); the parent's tee transfer is skipped.
        super(NsenterConnection, self).put_file(in_path, out_path)
        in_path = unfrackpath(in_path, basedir=self.cwd)
        out_path = unfrackpath(out_path, basedir=self.cwd)
        display.vvv(u"PUT {0} TO {1}".format(in_path, out_path), host=self._play_context.remote_addr)
        command = [
            "nsenter", "--ipc", "--mount", "--net", "--pid", "--uts", "--preserve-credentials",
            "--target={0}".format(self._nsenter_pid), "--", "/bin/sh", "-c", 'cat > "$1"', "sh", out_path,
        ]
        try:
            with open(to_bytes(in_path, errors="surrogate_or_strict"), "rb") as in_file:
                done = subprocess.run([to_bytes(arg) for arg in command], stdin=in_file, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, cwd=self.cwd, check=False)
        except (IOError, OSError) as e:
            raise AnsibleError("failed to transfer file to {0}: {1}".format(out_path, to_native(e)))
        if done.returncode != 0:
            raise AnsibleError("failed to transfer file to {0}: {1}".format(out_path, to_native(done.stderr)))
