using System.Buffers;
using System.Security.Cryptography;

namespace Concord.Canonical.Serialization.Internal;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that feeds everything written to it into an <see cref="IncrementalHash"/>:
/// the canonical form is hashed as it is written, never held whole in memory.
/// </summary>
internal sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultSize = 4096;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(DefaultSize);

    /// <summary>How many bytes were hashed since the last <see cref="GetHashAndReset"/>.</summary>
    public long BytesWritten { get; private set; }

    public void Advance(int count)
    {
        _hash.AppendData(_buffer, 0, count);
        BytesWritten += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer;
    }

    public bool GetHashAndReset(Span<byte> destination)
    {
        BytesWritten = 0;
        return _hash.TryGetHashAndReset(destination, out _);
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(sizeHint);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
