// The one place camera frames and picked pictures meet the core's QR decoder.
package org.spur.android

import org.spur.core.ScannedImage
import org.spur.core.Spur
import org.spur.core.SpurException

object FrameDecoder {
    /** What the core reads in one camera frame's luma plane. */
    fun read(core: Spur, frame: LumaFrame): ScannedImage = try {
        core.scanFrame(frame.width.toUInt(), frame.height.toUInt(), frame.stride.toUInt(), frame.rotationDegrees, frame.luma)
    } catch (_: SpurException) {
        // A frame the core cannot use (e.g. a torn buffer) is skipped; the next one comes.
        ScannedImage.Nothing
    }

    /** What the core reads in a picture's PNG or JPEG bytes. */
    fun read(core: Spur, picture: ByteArray): ScannedImage = core.scanPicture(picture)
}
