using System.Buffers.Binary;

namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>Unsigned LEB128 varints and fixed 64-bit words, the two shapes the cursor's binary form uses.</summary>
internal sealed class CursorWriter
{
    private byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void VarUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[Length++] = (byte)value;
    }

    public void VarLong(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void Word(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), value);
        Length += 8;
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}

/// <summary>Reads what <see cref="CursorWriter"/> wrote; throws <see cref="FormatException"/> on anything else.</summary>
internal ref struct CursorReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position == _data.Length;

    public byte Byte() => _position < _data.Length ? _data[_position++] : throw new FormatException("The cursor ends early.");

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("A number in the cursor is too long.");
    }

    public long VarLong()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int Count(int max)
    {
        var value = VarUInt();
        return value <= (ulong)max ? (int)value : throw new FormatException("A count in the cursor is out of range.");
    }

    public ulong Word()
    {
        if (_data.Length - _position < 8)
        {
            throw new FormatException("The cursor ends early.");
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }
}
