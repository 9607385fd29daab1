// lib/net.js: client sockets over the sidecar's network (`connect`, `createConnection`,
// `Socket`; see internal__net_socket.js) and servers on the exec's virtual ports
// (`createServer`, `Server`; see internal__net_server.js). isIP/isIPv4/isIPv6 and
// the autoSelectFamily defaults are real, and so are BlockList and SocketAddress
// (internal__blocklist.js, internal__socketaddress.js).

import { BlockList } from './internal__blocklist.js';
import { createNetServer, NetServer } from './internal__net_server.js';
import { connect, Socket } from './internal__net_socket.js';
import {
  getDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  isIP,
  isIPv4,
  isIPv6,
  setDefaultAutoSelectFamily,
  setDefaultAutoSelectFamilyAttemptTimeout,
} from './internal__net_values.js';
import { SocketAddress } from './internal__socketaddress.js';

const net = {
  BlockList,
  SocketAddress,
  isIP,
  isIPv4,
  isIPv6,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout,
};
net.connect = connect;
net.createConnection = connect;
net.Socket = Socket;
net.Stream = Socket;
net.createServer = createNetServer;
net.Server = NetServer;
export const moduleExports = net;
