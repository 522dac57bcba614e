"""Fabrique's turtle: the everyday subset of CPython's `turtle` module, with
no window. What the turtles draw is recorded as compact binary operations
through the guest's native functions `_host_line(x1, y1, x2, y2)` and
`_host_op(encoded)` (defined before this source runs), which buffer them and
hand them to the host in chunks while the program runs and once more when
it ends, whatever way it ends.

The operations, little-endian (`sandbox/src/drawing.rs` decodes them):
  1 line     f32 x1, y1, x2, y2          (with the last pen style)
  2 pen      u32 rgb, f32 width
  3 fill     u32 rgb, u32 n, n * (f32 x, f32 y)
  4 dot      f32 x, y, size, u32 rgb
  5 text     f32 x, y, u32 rgb, u8 align, u16 size, u32 n, n bytes of UTF-8
  6 bgcolor  u32 rgb
  7 speed    u8 speed (0 to 10)
"""

import math as _math
import struct as _struct

__all__ = [
    'Turtle', 'RawTurtle', 'Pen', 'Screen', 'TurtleGraphicsError', 'Vec2D',
    'forward', 'fd', 'backward', 'bk', 'back', 'left', 'lt', 'right', 'rt',
    'goto', 'setpos', 'setposition', 'setx', 'sety', 'setheading', 'seth',
    'home', 'penup', 'pu', 'up', 'pendown', 'pd', 'down', 'isdown', 'pensize',
    'width', 'color', 'pencolor', 'fillcolor', 'begin_fill', 'end_fill',
    'filling', 'circle', 'dot', 'write', 'speed', 'hideturtle', 'ht',
    'showturtle', 'st', 'isvisible', 'shape', 'bgcolor', 'colormode',
    'position', 'pos', 'heading', 'xcor', 'ycor', 'distance', 'towards',
    'done', 'mainloop', 'exitonclick', 'bye', 'title', 'setup', 'tracer',
    'update', 'delay', 'screensize', 'getscreen',
]


class TurtleGraphicsError(Exception):
    """Some TurtleGraphics Error"""


class Vec2D(tuple):
    """A 2D vector, as `position()` returns it: a pair that prints as CPython's."""

    def __new__(cls, x, y):
        return tuple.__new__(cls, (x, y))

    def __add__(self, other):
        return Vec2D(self[0] + other[0], self[1] + other[1])

    def __sub__(self, other):
        return Vec2D(self[0] - other[0], self[1] - other[1])

    def __mul__(self, other):
        if isinstance(other, Vec2D):
            return self[0] * other[0] + self[1] * other[1]
        return Vec2D(self[0] * other, self[1] * other)

    def __rmul__(self, other):
        if isinstance(other, (int, float)):
            return Vec2D(self[0] * other, self[1] * other)
        return NotImplemented

    def __neg__(self):
        return Vec2D(-self[0], -self[1])

    def __abs__(self):
        return _math.hypot(self[0], self[1])

    def __repr__(self):
        return "(%.2f,%.2f)" % self


# ---- colours ------------------------------------------------------------

_NAMES = {}
for _line in _COLOR_TABLE.splitlines():  # noqa: F821 (set by the guest)
    _name, _hex = _line.split()
    _NAMES[_name] = int(_hex[1:], 16)
del _line, _name, _hex

_HEX_DIGITS = frozenset('0123456789abcdefABCDEF')


def _string_rgb(text):
    """The 0xRRGGBB value of a Tk colour string, or None if it is not one."""
    if text.startswith('#'):
        digits = text[1:]
        if len(digits) in (3, 6, 9, 12) and _HEX_DIGITS.issuperset(digits):
            per = len(digits) // 3
            parts = [int(digits[i * per:(i + 1) * per], 16) for i in range(3)]
            shift = 4 * per - 8
            if shift > 0:
                parts = [p >> shift for p in parts]
            elif shift < 0:
                parts = [p * 17 for p in parts]
            return (parts[0] << 16) | (parts[1] << 8) | parts[2]
        return None
    return _NAMES.get(text.replace(' ', '').lower())


class _Colors:
    """What the screen knows of colours: the colour mode."""

    mode = 1.0


def _color_value(args):
    """(stored, rgb) for a colour given as CPython accepts it: a string, an
    (r, g, b) sequence or three numbers. `stored` is a colour string, as
    CPython keeps it; rgb is None for the empty string (no colour)."""
    if len(args) == 1:
        color = args[0]
    else:
        color = args
    if isinstance(color, str):
        if color == '':
            return '', None
        rgb = _string_rgb(color)
        if rgb is None:
            raise TurtleGraphicsError("bad color string: %s" % str(color))
        return color, rgb
    try:
        r, g, b = color
    except (TypeError, ValueError):
        raise TurtleGraphicsError("bad color arguments: %s" % str(color))
    for part in (r, g, b):
        if not isinstance(part, (int, float)):
            raise TypeError("a colour component must be a number, not %s" % type(part).__name__)
    if _Colors.mode == 1.0:
        scaled = [round(255.0 * x) for x in (r, g, b)]
    else:
        scaled = [r, g, b]
    if not all(0 <= x <= 255 for x in scaled):
        raise TurtleGraphicsError("bad color sequence: %s" % str(color))
    scaled = [int(x) for x in scaled]
    return '#%02x%02x%02x' % tuple(scaled), (scaled[0] << 16) | (scaled[1] << 8) | scaled[2]


def _shown_color(stored):
    """A colour as the getters return it: a name as given, a '#...' string
    as a tuple in the current colour mode (as CPython does)."""
    if not stored.startswith('#'):
        return stored
    rgb = _string_rgb(stored)
    mode = _Colors.mode
    return tuple(c * mode / 255 for c in ((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255))


def _number(value, name):
    if isinstance(value, (int, float)):
        return value
    raise TypeError("%s must be a number, not %s" % (name, type(value).__name__))


# ---- the recorder -------------------------------------------------------

_PEN = _struct.Struct('<BIf').pack
_DOT = _struct.Struct('<BfffI').pack
_TEXT = _struct.Struct('<BffIBHI').pack
_FILL_HEAD = _struct.Struct('<BII').pack
_RGB_OP = _struct.Struct('<BI').pack
_SPEED = _struct.Struct('<BB').pack

# The pen style and speed the last operations were drawn with, and the
# turtle they were taken from (None when it changed them since).
_current = [None, None]
_state = [None]


_emit = _host_op  # noqa: F821 (set by the guest)
_line = _host_line  # noqa: F821 (set by the guest)


def _restyle(turtle):
    """Records `turtle`'s pen and speed, if they are not the last recorded."""
    style = turtle._style
    if _current[0] != style and style[0] >= 0:
        _current[0] = style
        _emit(_PEN(2, style[0], style[1]))
    if _current[1] != turtle._speed:
        _current[1] = turtle._speed
        _emit(_SPEED(7, turtle._speed))
    _state[0] = turtle


# Headings whose direction is exact, and the directions computed so far.
_DIRECTIONS = {0.0: (1.0, 0.0), 90.0: (0.0, 1.0), 180.0: (-1.0, 0.0), 270.0: (0.0, -1.0)}
_RADIANS = _math.pi / 180.0
_cos = _math.cos
_sin = _math.sin


# ---- the screen ---------------------------------------------------------

_SPEEDS = {'fastest': 0, 'fast': 10, 'normal': 6, 'slow': 3, 'slowest': 1}
_SHAPES = ('arrow', 'turtle', 'circle', 'square', 'triangle', 'classic', 'blank')
_ALIGNS = {'left': 0, 'center': 1, 'right': 2}


class _Screen:
    """The drawing surface: background colour, colour mode; everything that
    only makes sense with a window does nothing."""

    def __init__(self):
        self._bgcolor = 'white'

    def bgcolor(self, *args):
        if not args:
            return _shown_color(self._bgcolor)
        shown, rgb = _color_value(args)
        self._bgcolor = shown
        _emit(_RGB_OP(6, 0xffffff if rgb is None else rgb))

    def colormode(self, cmode=None):
        if cmode is None:
            return _Colors.mode
        if cmode == 1.0:
            _Colors.mode = float(cmode)
        elif cmode == 255:
            _Colors.mode = int(cmode)

    def turtles(self):
        return list(_turtles)

    def _nothing(self, *args, **kwargs):
        return None

    title = setup = tracer = update = delay = listen = onkey = onkeypress = _nothing
    onclick = onscreenclick = ontimer = mainloop = done = exitonclick = bye = _nothing

    def screensize(self, canvwidth=None, canvheight=None, bg=None):
        if canvwidth is None and canvheight is None and bg is None:
            return (400, 300)
        if bg is not None:
            self.bgcolor(bg)

    def window_width(self):
        return 640

    def window_height(self):
        return 480


_screen = _Screen()
_turtles = []


def Screen():
    """The screen (there is one)."""
    return _screen


# ---- turtles ------------------------------------------------------------

class Turtle:
    """A turtle: a position, a heading and a pen. It starts at (0, 0),
    heading east, pen down, drawing in black."""

    def __init__(self, shape='classic', undobuffersize=1000, visible=True):
        # Position, direction (cosine, sine), heading, whether moves draw
        # (pen down, with a colour) and the outline being filled: in a list,
        # read and written by index, which costs RustPython a third of an
        # attribute's access.
        self._s = [0.0, 0.0, 1.0, 0.0, 0.0, True, None]
        self._down = True
        self._pencolor = 'black'
        self._fillcolor = 'black'
        self._pen_rgb = 0
        self._fill_rgb = 0
        self._width = 1
        self._style = (0, 1.0)
        self._speed = 3
        self._visible = bool(visible)
        self._shape = shape
        _turtles.append(self)
        # The moves loops call most are native (the guest's `moves.rs`), on
        # the same state; the methods below are what they fall back on for
        # arguments that are not plain numbers.
        forward, backward, left, right = _bind_moves(  # noqa: F821 (set by the guest)
            (self, self._s, _state, _restyle, _DIRECTIONS))
        self.forward = self.fd = forward
        self.backward = self.bk = self.back = backward
        self.left = self.lt = left
        self.right = self.rt = right

    # -- moving --
    # Each turtle's forward, backward, left and right are native (bound in
    # __init__); these are the same moves in Python, which the native ones
    # call for arguments that are not plain numbers, and which
    # `Turtle.forward(t, 10)` reaches. Written out in full, with no call
    # they can avoid.
    def _moveto(self, x, y):
        s = self._s
        x0 = s[0]
        y0 = s[1]
        s[0] = x
        s[1] = y
        if s[5]:
            if _state[0] is not self:
                _restyle(self)
            _line(x0, y0, x, y)
        if s[6] is not None:
            s[6].append((x, y))

    def forward(self, distance):
        s = self._s
        x0 = s[0]
        y0 = s[1]
        try:
            x = x0 + distance * s[2]
            y = y0 + distance * s[3]
        except TypeError:
            _number(distance, 'distance')
            raise
        s[0] = x
        s[1] = y
        if s[5]:
            if _state[0] is not self:
                _restyle(self)
            _line(x0, y0, x, y)
        if s[6] is not None:
            s[6].append((x, y))

    fd = forward

    def backward(self, distance):
        try:
            self.forward(-distance)
        except TypeError:
            _number(distance, 'distance')
            raise

    bk = back = backward

    def _turn_to(self, heading):
        s = self._s
        heading = heading % 360.0
        s[4] = heading
        direction = _DIRECTIONS.get(heading)
        if direction is None:
            radians = heading * _RADIANS
            direction = (_cos(radians), _sin(radians))
            if len(_DIRECTIONS) < 4096:
                _DIRECTIONS[heading] = direction
        s[2], s[3] = direction

    def left(self, angle):
        s = self._s
        try:
            heading = (s[4] + angle) % 360.0
        except TypeError:
            _number(angle, 'angle')
            raise
        direction = _DIRECTIONS.get(heading)
        if direction is None:
            self._turn_to(heading)
        else:
            s[4] = heading
            s[2], s[3] = direction

    lt = left

    def right(self, angle):
        s = self._s
        try:
            heading = (s[4] - angle) % 360.0
        except TypeError:
            _number(angle, 'angle')
            raise
        direction = _DIRECTIONS.get(heading)
        if direction is None:
            self._turn_to(heading)
        else:
            s[4] = heading
            s[2], s[3] = direction

    rt = right

    def setheading(self, to_angle):
        self._turn_to(_number(to_angle, 'to_angle'))

    seth = setheading

    def goto(self, x, y=None):
        if y is None:
            try:
                x, y = x
            except (TypeError, ValueError):
                raise TypeError("goto() needs x and y, or a pair (x, y)")
        self._moveto(float(_number(x, 'x')), float(_number(y, 'y')))

    setpos = setposition = goto

    def setx(self, x):
        self._moveto(float(_number(x, 'x')), self._s[1])

    def sety(self, y):
        self._moveto(self._s[0], float(_number(y, 'y')))

    def home(self):
        self._moveto(0.0, 0.0)
        self._turn_to(0.0)

    def circle(self, radius, extent=None, steps=None):
        radius = _number(radius, 'radius')
        if extent is None:
            extent = 360.0
        extent = _number(extent, 'extent')
        if steps is None:
            frac = abs(extent) / 360.0
            steps = 1 + int(min(11 + abs(radius) / 6.0, 59.0) * frac)
        elif not isinstance(steps, int):
            raise TypeError("steps must be an integer, not %s" % type(steps).__name__)
        if steps <= 0:
            return
        w = 1.0 * extent / steps
        w2 = 0.5 * w
        length = 2.0 * radius * _math.sin(_math.radians(w2))
        if radius < 0:
            length, w, w2 = -length, -w, -w2
        self._turn_to(self._s[4] + w2)
        for _ in range(steps):
            self.forward(length)
            self._turn_to(self._s[4] + w)
        self._turn_to(self._s[4] - w2)

    # -- where it is --
    def position(self):
        return Vec2D(self._s[0], self._s[1])

    pos = position

    def xcor(self):
        return self._s[0]

    def ycor(self):
        return self._s[1]

    def heading(self):
        return self._s[4]

    def distance(self, x, y=None):
        if y is None:
            try:
                x, y = x.position() if isinstance(x, Turtle) else x
            except (TypeError, ValueError):
                raise TypeError("distance() needs x and y, a pair (x, y) or a turtle")
        return _math.hypot(_number(x, 'x') - self._s[0], _number(y, 'y') - self._s[1])

    def towards(self, x, y=None):
        if y is None:
            x, y = x.position() if isinstance(x, Turtle) else x
        dx = _number(x, 'x') - self._s[0]
        dy = _number(y, 'y') - self._s[1]
        return round(_math.degrees(_math.atan2(dy, dx)), 10) % 360.0

    # -- the pen --
    def penup(self):
        self._down = False
        self._s[5] = False

    pu = up = penup

    def pendown(self):
        self._down = True
        self._s[5] = self._pen_rgb is not None

    pd = down = pendown

    def isdown(self):
        return self._down

    def _restyled(self):
        rgb = -1 if self._pen_rgb is None else self._pen_rgb
        self._style = (rgb, float(abs(self._width)))
        self._s[5] = self._down and self._pen_rgb is not None
        if _state[0] is self:
            _state[0] = None

    def pensize(self, width=None):
        if width is None:
            return self._width
        self._width = _number(width, 'width')
        self._restyled()

    width = pensize

    def pencolor(self, *args):
        if not args:
            return _shown_color(self._pencolor)
        self._pencolor, self._pen_rgb = _color_value(args)
        self._restyled()

    def fillcolor(self, *args):
        if not args:
            return _shown_color(self._fillcolor)
        self._fillcolor, self._fill_rgb = _color_value(args)

    def color(self, *args):
        if not args:
            return _shown_color(self._pencolor), _shown_color(self._fillcolor)
        if len(args) == 1:
            self.pencolor(args[0])
            self.fillcolor(args[0])
        elif len(args) == 2:
            self.pencolor(args[0])
            self.fillcolor(args[1])
        elif len(args) == 3:
            self.pencolor(*args)
            self.fillcolor(*args)
        else:
            raise TurtleGraphicsError("bad color arguments: %s" % str(args))

    def begin_fill(self):
        self._s[6] = [(self._s[0], self._s[1])]

    def end_fill(self):
        path = self._s[6]
        self._s[6] = None
        if path is not None and len(path) > 2 and self._fill_rgb is not None:
            parts = [_FILL_HEAD(3, self._fill_rgb, len(path))]
            pack = _struct.Struct('<ff').pack
            for x, y in path:
                parts.append(pack(x, y))
            _emit(b''.join(parts))

    def filling(self):
        return self._s[6] is not None

    def dot(self, size=None, *color):
        if size is not None and not isinstance(size, (int, float)):
            color = (size,) + color
            size = None
        if size is None:
            size = self._width + max(self._width, 4)
        if color:
            rgb = _color_value(color)[1]
        else:
            rgb = self._pen_rgb
        if rgb is not None:
            _restyle(self)
            _emit(_DOT(4, self._s[0], self._s[1], float(size), rgb))

    def write(self, arg, move=False, align='left', font=('Arial', 8, 'normal')):
        text = str(arg)
        align = _ALIGNS[align.lower()]
        try:
            size = int(font[1])
        except (TypeError, ValueError, IndexError):
            raise TurtleGraphicsError("bad font: %s" % str(font))
        data = text.encode('utf-8')
        if self._pen_rgb is not None:
            _restyle(self)
            _emit(_TEXT(5, self._s[0], self._s[1], self._pen_rgb, align,
                        max(1, min(size, 200)), len(data)) + data)
        if move:
            # A rough width: CPython measures the text in the window's font.
            self._moveto(self._s[0] + len(text) * size * 0.6, self._s[1])

    # -- everything else --
    def speed(self, speed=None):
        if speed is None:
            return self._speed
        if speed in _SPEEDS:
            speed = _SPEEDS[speed]
        else:
            speed = _number(speed, 'speed')
            speed = int(round(speed)) if 0.5 < speed < 10.5 else 0
        self._speed = speed
        if _state[0] is self:
            _state[0] = None

    def hideturtle(self):
        self._visible = False

    ht = hideturtle

    def showturtle(self):
        self._visible = True

    st = showturtle

    def isvisible(self):
        return self._visible

    def shape(self, name=None):
        if name is None:
            return self._shape
        if name not in _SHAPES:
            raise TurtleGraphicsError("There is no shape named %s" % name)
        self._shape = name

    def getscreen(self):
        return _screen

    def _nothing(self, *args, **kwargs):
        return None

    shapesize = turtlesize = tilt = settiltangle = _nothing


RawTurtle = Pen = Turtle

# The turtle the module's functions move. CPython creates it at the first
# call; here it exists from the start, so that the functions are its bound
# methods and cost no extra call.
_default = Turtle()

for _name in ('forward', 'fd', 'backward', 'bk', 'back', 'left', 'lt', 'right',
              'rt', 'goto', 'setpos', 'setposition', 'setx', 'sety', 'setheading',
              'seth', 'home', 'penup', 'pu', 'up', 'pendown', 'pd', 'down', 'isdown',
              'pensize', 'width', 'color', 'pencolor', 'fillcolor', 'begin_fill',
              'end_fill', 'filling', 'circle', 'dot', 'write', 'speed',
              'hideturtle', 'ht', 'showturtle', 'st', 'isvisible', 'shape',
              'position', 'pos', 'heading', 'xcor', 'ycor', 'distance', 'towards',
              'getscreen', 'shapesize', 'turtlesize'):
    globals()[_name] = getattr(_default, _name)
del _name

bgcolor = _screen.bgcolor
colormode = _screen.colormode
screensize = _screen.screensize
done = mainloop = exitonclick = bye = title = setup = tracer = update = delay = _screen._nothing
