import CCurl

// libcurl calls these file-scope C functions on the engine thread; the userdata pointer is an unretained
// `Transfer`, kept alive by the engine's table of active transfers.

func transferWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let now = ContinuousClock.now
    let total = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.lastActivity = now
    switch transfer.delegate.transferDidReceiveBody(UnsafeRawBufferPointer(start: data, count: total), at: now) {
    case .consumed: return total
    case .pause:
        transfer.paused = true
        return Int(SSE_CURL_WRITEFUNC_PAUSE)
    case .abort: return 0
    }
}

func transferHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let now = ContinuousClock.now
    let total = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.lastActivity = now
    let keepGoing = transfer.delegate.transferDidReceiveHeaderLine(
        UnsafeRawBufferPointer(start: data, count: total),
        at: now
    )
    return keepGoing ? total : 0
}

func transferDebugCallback(
    _ handle: UnsafeMutableRawPointer?,
    _ type: curl_infotype,
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    guard type == CURLINFO_HEADER_OUT, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.delegate.transferDidSendHeaders(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

func transferSockoptCallback(
    _ userdata: UnsafeMutableRawPointer?,
    _ fd: curl_socket_t,
    _ purpose: curlsocktype
)
    -> Int32
{
    // Closing this socket sends a reset: the "abrupt abort" a crashed or killed client gives a server.
    _ = sse_socket_set_linger_zero(fd)
    return CURL_SOCKOPT_OK
}
