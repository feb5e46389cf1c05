// The one place camera frames and picked pictures meet the core's QR decoder.
package org.spur.android

import org.spur.core.ScannedImage
import org.spur.core.Spur
import org.spur.core.SpurException

object FrameDecoder {
    /**
     * What the core reads in one live camera frame's luma plane. The core keeps one frame loop
     * per scanning session (a time budget per frame; frames offered while one is still being
     * decoded are dropped), so the answer may be an earlier frame's; [stop] ends the session.
     */
    fun read(core: Spur, frame: LumaFrame): ScannedImage = try {
        core.scanFrame(frame.width.toUInt(), frame.height.toUInt(), frame.stride.toUInt(), frame.rotationDegrees, frame.luma)
    } catch (_: SpurException) {
        // A frame the core cannot use (e.g. a torn buffer) is skipped; the next one comes.
        ScannedImage.Nothing
    }

    /** The camera stopped: the core's scanning session (its decoding thread) ends. */
    fun stop(core: Spur) = core.scanStop()

    /** What the core reads in a picture's PNG or JPEG bytes. */
    fun read(core: Spur, picture: ByteArray): ScannedImage = core.scanPicture(picture)
}
